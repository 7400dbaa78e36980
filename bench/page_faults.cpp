// What one page fault costs on this machine: touches fresh pages of an anonymous mapping.
//   build/bench/bench_page_faults [MiB=100] [reps=5]
// Start-up cost is mostly page faults (mapping libraries, first touches of buffers), and on a
// virtual machine they can be dear (docs/performance.md).

#include <sys/mman.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char** argv) {
  std::size_t mib = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 100;
  int reps = argc > 2 ? std::atoi(argv[2]) : 5;
  const std::size_t bytes = mib << 20, page = 4096;
  std::vector<double> us;
  for (int r = 0; r < reps; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    auto* p = static_cast<volatile char*>(mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    if (p == MAP_FAILED) return 1;
    for (std::size_t i = 0; i < bytes; i += page) p[i] = 1;
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    munmap(const_cast<char*>(p), bytes);
    us.push_back(s / static_cast<double>(bytes / page) * 1e6);
  }
  std::sort(us.begin(), us.end());
  std::printf("page fault (first touch of a 4 KiB page): %.2f us, median of %d x %zu MiB\n", us[us.size() / 2], reps, mib);
  return 0;
}
