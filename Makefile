# Two commands do all set-up on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# Dependencies are installed from lock files with hashes (requirements/*.lock, `make lock` writes them):
# `make site` the runtime set only, `make test` adds the test tools, `make bench` Hugo as well.
STAMP       := $(VENV)/.installed
TEST_STAMP  := $(VENV)/.installed-test
BENCH_STAMP := $(VENV)/.installed-bench
# The content directory: make check CONTENT=../county checks another county's content (default: the demo).
CONTENT ?= content

.PHONY: site offline check test golden serve clean system-deps browser-deps pango-deps print bench bench-large \
	bench-print report lock bytecode

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
		{ echo "需要 Python 3.11 或更高版本(当前: $$($(PYTHON) --version))。请安装后重试。"; exit 2; }
	@$(PYTHON) -m venv $(VENV) || \
		{ echo "无法创建虚拟环境。Debian 上请先运行: apt-get install python3-venv"; exit 2; }

# The locked set, then the project itself (editable, built by the locked setuptools: nothing unlocked).
define install_locked
	$(PY) -m pip install --quiet --require-hashes -r $(1)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@
endef

# The generator byte-compiled, as pip does for what it installs (an editable install is not): where
# PYTHONDONTWRITEBYTECODE is set, as in many containers, every command compiled the modules it imports again
# (a third of a second at each start). Only modules changed since are compiled; Python never uses a stale one.
bytecode: | $(PY)
	@$(PY) -m compileall -q generator

$(STAMP): requirements/site.lock pyproject.toml | $(PY)
	$(call install_locked,requirements/site.lock)

$(TEST_STAMP): requirements/test.lock pyproject.toml $(STAMP)
	$(call install_locked,requirements/test.lock)

$(BENCH_STAMP): requirements/bench.lock pyproject.toml $(TEST_STAMP)
	$(call install_locked,requirements/bench.lock)

# After changing dependencies in pyproject.toml: the lock files again, hashes for every platform's wheels.
lock:
	@test -x .venv-lock/bin/uv || { $(PYTHON) -m venv .venv-lock && .venv-lock/bin/pip install --quiet 'uv>=0.5'; }
	cd requirements && for set in site test bench; do \
	  case $$set in site) extras="";; test) extras="--extra test";; bench) extras="--extra test --extra bench";; esac; \
	  ../.venv-lock/bin/uv pip compile ../pyproject.toml build.in $$extras --generate-hashes --universal \
	    --python-version 3.11 --no-header --quiet -o $$set.lock || exit 2; \
	done

site: $(STAMP) pango-deps bytecode
	$(PY) -m generator build --content $(CONTENT)

# The offline copy (opens from file://, a kiosk or a USB stick) into site-offline/.
offline: $(STAMP) pango-deps bytecode
	$(PY) -m generator build --offline --content $(CONTENT)

# 公开栏 sheets, 明白纸 and the 登记簿 into print/, beside site/ and never inside it (see README);
# QUARTER=2026Q3 adds that quarter's pack.
print: $(STAMP) pango-deps bytecode
	$(PY) -m generator print --content $(CONTENT)
	$(if $(QUARTER),$(PY) -m generator print --content $(CONTENT) --quarter $(QUARTER))

# Benchmarks print figures; tests never assert on time. RECORDS=N changes the size.
RECORDS ?= 10000
bench: $(BENCH_STAMP) browser-deps bytecode
	$(PY) -m generator bench --records $(RECORDS)

bench-large: $(BENCH_STAMP) bytecode
	$(PY) -m generator bench --records 100000 --no-baseline --no-browser --no-boards

bench-print: $(TEST_STAMP) pango-deps bytecode
	$(PY) -m tests.bench.bench_print

# WeasyPrint (PDFs from `make print`, and the 打印公示版 files `make site` writes) needs Debian's pango.
# CI runs as root on a fresh machine, so root installs it; anyone else is told how.
PANGO_LIBS := libpango-1.0.so.0 libpangoft2-1.0.so.0
LDCONFIG   := $(shell command -v ldconfig 2>/dev/null || echo /sbin/ldconfig)
pango-deps:
	@missing=$$(for lib in $(PANGO_LIBS); do $(LDCONFIG) -p | grep -q "$$lib" || echo "$$lib"; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "缺少生成 PDF 所需的 pango 库，正在安装（apt-get install -y libpango-1.0-0 libpangoft2-1.0-0）……"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; \
	    for lib in $(PANGO_LIBS); do $(LDCONFIG) -p | grep -q "$$lib" || \
	      { echo "安装后仍找不到 $$lib，请检查 apt 软件源后重试。"; exit 2; }; done; \
	  else \
	    echo "生成 PDF 需要 pango 库（缺少：$$missing）。请以 root 身份运行：apt-get install -y libpango-1.0-0 libpangoft2-1.0-0"; \
	    exit 2; \
	  fi; \
	fi

check: $(STAMP) bytecode
	$(PY) -m generator check --content $(CONTENT)

# Compliance report (公开时限, 定期公开, 依申请) into site-internal/report; ANNUAL=2025 also writes that 年度报告.
report: $(STAMP) pango-deps bytecode
	$(PY) -m generator report
	$(if $(ANNUAL),$(PY) -m generator report --annual $(ANNUAL))

serve: $(STAMP) bytecode
	$(PY) -m generator serve --content $(CONTENT)

# Browser tests drive Debian's Chromium: Playwright cannot download browsers here. CHROMIUM=/path uses another.
CHROMIUM ?= $(shell command -v chromium 2>/dev/null || echo /usr/bin/chromium)
export CHROMIUM
browser-deps:
	@test -x "$(CHROMIUM)" || { \
	  if [ "$$(id -u)" = 0 ]; then echo "正在安装 Chromium（apt-get install chromium）……"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "浏览器测试需要 Chromium，请先运行：sudo apt-get install chromium（或 make … CHROMIUM=/路径/chromium）"; exit 2; fi; }

# What the tests need from the system, checked at once: as root it is installed, otherwise one line says
# which Debian packages are missing and how to install them.
system-deps:
	@missing=""; \
	$(LDCONFIG) -p | grep -q libpango-1.0.so.0 || missing="$$missing libpango-1.0-0"; \
	$(LDCONFIG) -p | grep -q libpangoft2-1.0.so.0 || missing="$$missing libpangoft2-1.0-0"; \
	test -x "$(CHROMIUM)" || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "正在安装测试所需的系统软件包：$$missing ……"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 2; \
	  else \
	    echo "测试需要的系统软件包没有装全（缺少：$$(echo $$missing | sed 's/ /、/g')）。请以 root 身份运行：apt-get install -y$$missing；Chromium 装在别处时可写 make test CHROMIUM=/路径/chromium"; \
	    exit 2; \
	  fi; \
	fi

# The suite runs in one worker per core (at most four; each worker builds the shared fixtures it needs once),
# a test file at a time per worker: its module fixtures are built once. TEST_WORKERS=1 runs it in one.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ "$$n" -gt 4 ] && n=4; echo $$n)
# pytest exits 5 when it collected no test: that is a broken suite, not a pass.
test: $(TEST_STAMP) system-deps bytecode
	@$(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadfile; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; exit 1; fi; exit $$rc

golden: $(TEST_STAMP)
	$(PY) -m tests.golden refresh

clean:
	rm -rf build site site-offline print
