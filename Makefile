# Two commands do all set-up on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: site check test golden serve clean browser-deps

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
		{ echo "需要 Python 3.11 或更高版本(当前: $$($(PYTHON) --version))。请安装后重试。"; exit 2; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || \
		{ echo "无法创建虚拟环境。Debian 上请先运行: apt-get install python3-venv"; exit 2; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

site: $(STAMP)
	$(PY) -m generator build

check: $(STAMP)
	$(PY) -m generator check

serve: $(STAMP)
	$(PY) -m generator serve

# Browser tests drive Debian's Chromium: Playwright cannot download browsers here.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then echo "正在安装 Chromium（apt-get install chromium）……"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "浏览器测试需要 Chromium，请先运行：sudo apt-get install chromium"; exit 2; fi; }

# pytest exits 5 when it collected no test: that is a broken suite, not a pass.
test: $(STAMP) browser-deps
	@$(PY) -m pytest -q; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; exit 1; fi; exit $$rc

golden: $(STAMP)
	$(PY) -m tests.golden refresh

clean:
	rm -rf build site
