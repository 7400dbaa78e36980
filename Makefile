# The two commands of the README: `make demo` and `make test`. Both install what is missing.
BUILD ?= build
JOBS ?= $(shell nproc)
PY := /usr/bin/python3
CMAKE_FLAGS ?=

.PHONY: deps build demo test test-cpp test-py bench sanitize calibrate fingerprints clean

deps:
	@bash scripts/install-deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@mkdir -p out
	$(BUILD)/crowdsim run scenarios/demo.json -o out/demo.h5
	$(PY) analysis/crowdsim-plot trajectory out/demo.h5 -o out/demo_trajectory.png
	$(PY) analysis/crowdsim-plot workers out/demo.h5 -o out/demo_workers.png
	$(PY) analysis/crowdsim-plot report out/demo.h5 -o out/demo_report.html
	@echo "demo: wrote out/demo.h5, out/demo_trajectory.png, out/demo_workers.png and out/demo_report.html"

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	$(PY) -m pytest -q analysis/tests

# Address and undefined-behaviour sanitizers over the whole C++ test suite, in its own tree.
sanitize: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCROWDSIM_SANITIZE=ON -DCROWDSIM_BUILD_BENCH=OFF
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS)

bench: build
	bash bench/run.sh

# Re-records the fingerprints of the shipped scenarios: only when results are meant to change.
fingerprints: build
	CROWDSIM_UPDATE_FINGERPRINTS=1 $(BUILD)/tests/test_validation "[fingerprint]"
	@git --no-pager diff --stat tests/fingerprints.json || true

# Refits the microtask_labeling calibration from data/crowd (docs/calibration.md).
calibrate: deps
	$(PY) analysis/calibrate.py

clean:
	rm -rf $(BUILD) build-asan out
