# Two commands do all set-up on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# The content directory: make check CONTENT=../county checks another county's content (default: the demo).
CONTENT ?= content

.PHONY: site offline check test golden serve clean browser-deps pango-deps print bench bench-large bench-print report

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
		{ echo "需要 Python 3.11 或更高版本(当前: $$($(PYTHON) --version))。请安装后重试。"; exit 2; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || \
		{ echo "无法创建虚拟环境。Debian 上请先运行: apt-get install python3-venv"; exit 2; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

site: $(STAMP) pango-deps
	$(PY) -m generator build --content $(CONTENT)

# The offline copy (opens from file://, a kiosk or a USB stick) into site-offline/.
offline: $(STAMP) pango-deps
	$(PY) -m generator build --offline --content $(CONTENT)

# 公开栏 sheets, 明白纸 and the 登记簿 into print/, beside site/ and never inside it (see README);
# QUARTER=2026Q3 adds that quarter's pack.
print: $(STAMP) pango-deps
	$(PY) -m generator print --content $(CONTENT)
	$(if $(QUARTER),$(PY) -m generator print --content $(CONTENT) --quarter $(QUARTER))

# Benchmarks print figures; tests never assert on time. RECORDS=N changes the size.
RECORDS ?= 10000
bench: $(STAMP) browser-deps
	$(PY) -m generator bench --records $(RECORDS)

bench-large: $(STAMP)
	$(PY) -m generator bench --records 100000 --no-baseline --no-browser --no-boards

bench-print: $(STAMP) pango-deps
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

check: $(STAMP)
	$(PY) -m generator check --content $(CONTENT)

# Compliance report (公开时限, 定期公开, 依申请) into site-internal/report; ANNUAL=2025 also writes that 年度报告.
report: $(STAMP) pango-deps
	$(PY) -m generator report
	$(if $(ANNUAL),$(PY) -m generator report --annual $(ANNUAL))

serve: $(STAMP)
	$(PY) -m generator serve --content $(CONTENT)

# Browser tests drive Debian's Chromium: Playwright cannot download browsers here.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then echo "正在安装 Chromium（apt-get install chromium）……"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "浏览器测试需要 Chromium，请先运行：sudo apt-get install chromium"; exit 2; fi; }

# pytest exits 5 when it collected no test: that is a broken suite, not a pass.
test: $(STAMP) browser-deps pango-deps
	@$(PY) -m pytest -q; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; exit 1; fi; exit $$rc

golden: $(STAMP)
	$(PY) -m tests.golden refresh

clean:
	rm -rf build site site-offline print
