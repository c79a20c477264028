# Two entry points for a fresh machine with Python 3.11 and pip:
#   make chat   - set everything up and start `assistant chat`
#   make test   - set everything up and run the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install chat test test-next-year lint check bench clean

$(STAMP): pyproject.toml constraints.txt plugins/assistant_twilio/pyproject.toml \
		plugins/assistant_discord/pyproject.toml plugins/assistant_voice/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt torch==2.13.0
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	# The bridges are distributions of their own; installed here so that their tests run.
	$(BIN)/pip install --quiet -c constraints.txt -e plugins/assistant_twilio
	$(BIN)/pip install --quiet -c constraints.txt -e plugins/assistant_discord
	$(BIN)/pip install --quiet -c constraints.txt -e plugins/assistant_voice
	# The model cache (MiniLM's export, the classifiers' weights), so that a first chat waits
	# for none of it; anything not prepared here is built on first use.
	-$(BIN)/python -m assistant.warm
	touch $(STAMP)

install: $(STAMP)

chat: $(STAMP)
	$(BIN)/assistant chat

test: $(STAMP)
	$(BIN)/python -m pytest

# The suite once more with the clock a year ahead (time-machine, in the test process and the
# Python processes tests start): no test may depend on today's date.
test-next-year: $(STAMP)
	$(BIN)/python -m pytest --days-ahead 365

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

check: lint test

bench: $(STAMP)
	$(BIN)/python bench/search_latency.py
	$(BIN)/python bench/remember_latency.py
	$(BIN)/python bench/add_many_throughput.py
	$(BIN)/python bench/cold_search.py
	$(BIN)/python bench/vault_sync.py
	$(BIN)/python bench/edit_latency.py
	$(BIN)/python bench/router_quality.py
	$(BIN)/python bench/respond_overhead.py
	$(BIN)/python bench/chat_startup.py
	$(BIN)/python bench/routing_saving.py
	$(BIN)/python bench/extraction_quality.py
	$(BIN)/python bench/instruction_quality.py
	$(BIN)/python bench/voice_latency.py
	$(BIN)/python bench/bridge_latency.py 100
	$(BIN)/python bench/discord_latency.py 100

clean:
	rm -rf $(VENV) .cache .pytest_cache .mypy_cache .ruff_cache
