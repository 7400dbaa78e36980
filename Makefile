# The two commands of the README: `make demo` and `make test`. Both install what is missing.
BUILD ?= build
JOBS ?= $(shell nproc)
PY := /usr/bin/python3
CMAKE_FLAGS ?=
# The Python package (analysis/) installed, as a user would, into a virtual environment that
# sees Debian's numpy, pandas, h5py, scipy and matplotlib; the tests run against that install.
VENV := $(BUILD)/venv
VPY := $(VENV)/bin/python

.PHONY: deps build venv notebooks demo test schema test-cpp test-py example figures bench sanitize calibrate fingerprints fuzz clean

deps:
	@bash scripts/install-deps.sh

# Configured at every build, so CMAKE_FLAGS always apply (a flag given once stays in the cache).
build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) --log-level=WARNING
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@mkdir -p out
	$(BUILD)/crowdsim run scenarios/demo.json -o out/demo.h5 --force
	$(PY) analysis/crowdsim-plot trajectory out/demo.h5 -o out/demo_trajectory.png --force
	$(PY) analysis/crowdsim-plot workers out/demo.h5 -o out/demo_workers.png --force
	$(PY) analysis/crowdsim-plot report out/demo.h5 -o out/demo_report.html --force
	@echo "demo: wrote out/demo.h5, out/demo_trajectory.png, out/demo_workers.png and out/demo_report.html"

# The documented install command (README "From Python"), offline: nothing is fetched. After
# the build, so that the compiled simulator (crowdsim._core, analysis/native) is installed too.
venv: build
	@test -x $(VPY) || $(PY) -m venv --system-site-packages $(VENV)
	$(VENV)/bin/pip install -q --no-build-isolation --no-deps ./analysis
	@test -d $(VENV)/share/jupyter/kernels/crowdsim-venv || $(VPY) -m ipykernel install --sys-prefix \
	  --name crowdsim-venv --display-name "Python (crowdsim venv)" > /dev/null

# pytest runs from analysis/tests against the installed package (test_package.py checks that it
# is not the source folder); the notebooks run top to bottom and fail on any error.
test: build venv
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	CROWDSIM_BIN=$(abspath $(BUILD))/crowdsim CROWDSIM_EXPECT_INSTALLED=1 $(VPY) -m pytest -q -p no:cacheprovider analysis/tests
	$(MAKE) --no-print-directory notebooks
	$(MAKE) --no-print-directory example

notebooks: build venv
	@mkdir -p $(BUILD)/notebooks
	cd examples/notebooks && for nb in *.ipynb; do \
	  CROWDSIM_BIN=$(abspath $(BUILD))/crowdsim $(abspath $(VPY)) -m nbconvert --to notebook --execute \
	    --ExecutePreprocessor.timeout=120 --ExecutePreprocessor.kernel_name=crowdsim-venv \
	    --output-dir $(abspath $(BUILD))/notebooks "$$nb" || exit 1; done

# The figure in README.md, made by the shipped commands (committed under docs/figures/).
figures: build
	@mkdir -p out docs/figures
	rm -f out/policies.h5
	$(BUILD)/crowdsim run scenarios/compare_policies.json -o out/policies.h5 --threads $(JOBS) --quiet --force
	$(PY) analysis/crowdsim-plot diff out/policies.h5 -o docs/figures/policies_diff.png --force \
	  --baseline random --kpi accuracy,latency_mean

# A user's own models as a plug-in built against the installed package (examples/custom_policy):
# the real CLI loads it (--plugin) and runs its assignment policy, incentive policy and
# aggregation method next to the built-ins; the file must show that policy's runs.
example: build
	rm -rf $(BUILD)/install $(BUILD)/example
	cmake --install $(BUILD) --prefix $(abspath $(BUILD))/install > /dev/null
	@# every installed header's includes are installed too (private headers stay out, whole)
	@cd $(BUILD)/install/include/crowdsim && for h in $$(find . -name '*.hpp'); do \
	  for i in $$(sed -n 's/^#include "\(.*\)"/\1/p' $$h); do \
	    [ -f "$$i" ] || { echo "installed $$h includes $$i, which is not installed (cmake/install.cmake)"; exit 1; }; \
	  done; done
	cmake -S examples/custom_policy -B $(BUILD)/example -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=$(abspath $(BUILD))/install -DCMAKE_CXX_FLAGS=-Werror > /dev/null
	cmake --build $(BUILD)/example -j $(JOBS)
	$(BUILD)/install/bin/crowdsim run examples/custom_policy/scenario.json --plugin $(BUILD)/example/libcustom_policy.so --threads 2 --quiet -o $(BUILD)/example/out.h5
	$(BUILD)/crowdsim summarize $(BUILD)/example/out.h5 --baseline random --kpi accuracy,accuracy_agreement_share,total_cost | grep "^cheapest"

# Address and undefined-behaviour sanitizers over the whole C++ test suite, in its own tree.
sanitize: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCROWDSIM_SANITIZE=ON -DCROWDSIM_BUILD_BENCH=OFF -DCROWDSIM_MPI=OFF
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS)

bench: build
	bash bench/run.sh

# Rewrites the documents generated from the code's declarations (a test fails when they drift):
# the schema, docs/parameters.md, and the tables of docs/scenarios.md between their markers.
schema: build
	$(BUILD)/crowdsim schema > scenarios/schema.json
	$(BUILD)/crowdsim list --params --markdown > docs/parameters.md
	$(BUILD)/crowdsim list --update docs/scenarios.md

# Re-records the fingerprints of the shipped scenarios: only when results are meant to change.
fingerprints: build
	CROWDSIM_UPDATE_FINGERPRINTS=1 $(BUILD)/tests/test_validation "[fingerprint]"
	@git --no-pager diff --stat tests/fingerprints.json || true

# Fuzzes the scenario loader with libFuzzer (clang, ASan + UBSan) for FUZZ_SECONDS, starting
# from the shipped and example scenarios; fails on any crash or sanitizer report. An input it
# finds (build-fuzz/artifacts/) goes, once fixed, into fuzz/regressions/, which ctest replays.
FUZZ_SECONDS ?= 60
fuzz:
	@bash scripts/install-deps.sh fuzz
	CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCROWDSIM_FUZZ=ON \
	  -DCROWDSIM_BUILD_TESTS=OFF -DCROWDSIM_BUILD_BENCH=OFF
	cmake --build build-fuzz -j $(JOBS) --target fuzz_scenario
	@rm -rf build-fuzz/corpus && mkdir -p build-fuzz/corpus build-fuzz/artifacts
	@cp scenarios/*.json tests/scenarios/valid/*.json build-fuzz/corpus/
	build-fuzz/fuzz/fuzz_scenario build-fuzz/corpus -max_total_time=$(FUZZ_SECONDS) -max_len=8192 \
	  -timeout=10 -rss_limit_mb=2048 -artifact_prefix=build-fuzz/artifacts/ -print_final_stats=1

# Refits the microtask_labeling calibration from data/crowd (docs/calibration.md).
calibrate: venv
	$(VPY) -m crowdsim.calibrate

clean:
	rm -rf $(BUILD) build-asan build-fuzz out
