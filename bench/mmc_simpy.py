#!/usr/bin/python3
"""The M/M/c queue in SimPy, the same model as mmc_minimal.cpp and scenarios/mmc.json.

    /usr/bin/python3 bench/mmc_simpy.py --tasks 100000 --servers 50 --rho 0.9 --service-mean 60

Debian 12 packages SimPy 2.3.1 (python3-simpy, module `SimPy`), not SimPy 4, and PyPI cannot be
reached here, so this is written against SimPy 2's process API (SimPy.Simulation).
"""
import argparse
import random
import time

from SimPy.Simulation import Process, Resource, Simulation, hold, release, request


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--tasks", type=int, default=100000)
    p.add_argument("--servers", type=int, default=50)
    p.add_argument("--rho", type=float, default=0.9)
    p.add_argument("--service-mean", type=float, default=60.0)
    a = p.parse_args()
    rng = random.Random(1)
    gap = a.service_mean / (a.rho * a.servers)
    waits = []

    class Task(Process):
        def visit(self, workers):
            arrived = self.sim.now()
            yield request, self, workers
            waits.append(self.sim.now() - arrived)
            yield hold, self, rng.expovariate(1.0 / a.service_mean)
            yield release, self, workers

    class Source(Process):
        def generate(self, workers):
            for _ in range(a.tasks):
                yield hold, self, rng.expovariate(1.0 / gap)
                t = Task(sim=self.sim)
                self.sim.activate(t, t.visit(workers))

    sim = Simulation()
    sim.initialize()
    workers = Resource(capacity=a.servers, sim=sim)
    source = Source(sim=sim)
    sim.activate(source, source.generate(workers))
    t0 = time.perf_counter()
    sim.simulate(until=1e15)
    secs = time.perf_counter() - t0
    events = 2 * a.tasks  # arrivals + completions, counted as the minimal loop counts them
    print(f"impl=simpy2 tasks={a.tasks} events={events} seconds={secs:.4f} "
          f"events_per_second={events / secs:.0f} mean_wait={sum(waits) / len(waits):.4f}")


if __name__ == "__main__":
    main()
