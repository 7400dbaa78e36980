// Replays inputs through the fuzz harness without libFuzzer (tests/CMakeLists.txt): each file of
// fuzz/regressions/ once crashed, hung or ran too long, and must now be loaded or refused, and
// run, in time. Prints each input's time; exits 1 if one takes longer than its budget, 2 if given
// no input.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
  if (argc < 2) {  // an empty glob of fuzz/regressions/ would otherwise pass having replayed nothing
    std::fprintf(stderr, "fuzz_replay: expected the files of fuzz/regressions/, found none\n");
    return 2;
  }
  int status = 0;
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto start = std::chrono::steady_clock::now();
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    // The fuzzer's own timeout is 10 s under its sanitizers; uninstrumented, a tenth of that.
    bool slow = seconds > 10.0;
    std::printf("%s: %.3f s%s\n", argv[i], seconds, slow ? " (too slow)" : "");
    if (slow) status = 1;
  }
  return status;
}
