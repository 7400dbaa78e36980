"""Means over replications with confidence intervals that respect a KPI's range.

The same methods and arithmetic as `crowdsim summarize` (experiment/intervals.cpp): the same
doubles; kinds come from kpis.py. Given the finite values x_1..x_n of a KPI over a group's
replications (NaN values, e.g. the accuracy of a run that closed no task, are left out: n counts
the finite values), with

    m = (1/n) Σ x_i,   s² = Σ (x_i − m)² / (n − 1),   se = s / √n,   t = t_{n−1}(1 − α/2)

(α = 0.05 for 95%), the interval of the mean is, by kind:

- `unbounded` (Student t):      m ± t·se
- `proportion` (logit-scale t): expit(logit(m) ± t·se / (m(1 − m)))   when 0 < m < 1
  the t interval on the logit scale, its half-width carried there by the delta method
  (d logit(m)/dm = 1/(m(1−m))); logit(p) = ln(p/(1−p)), expit(x) = 1/(1 + e^−x)
- `positive`, `count` (log-scale t): m·exp(−t·se/m) .. m·exp(+t·se/m)   when m > 0
  the same on the log scale (d ln(m)/dm = 1/m)

Both transformed intervals are centred, on their scale, on the mean m of the replications: they
are intervals of the mean (not of a geometric mean), always contain m, never leave (0, 1)
(proportions) or go below 0 (positive quantities), and equal the Student t interval when se is
small. When m sits on the edge of the range (m = 0 or 1 with a spread cannot come from values in
the range) the Student t interval is used, clipped to the range. With n < 2 there is no interval
(NaN); with s = 0 the interval is the point m. Deterministic: no resampling.

Paired differences (crowdsim-plot diff): d_r = x_r(group) − x_r(baseline) over the replications
r both have (crowdsim gives replication r of every sweep point the same seed, so the pairs share
their random numbers); interval: Student t on the d_r (a difference has no range to respect).
"""
from collections import namedtuple
import math

import functools

import mpmath
import numpy as np
from scipy import stats as sps

from .kpis import kpi

Stat = namedtuple("Stat", "mean low high n total")
METHODS = {"unbounded": "Student t", "proportion": "logit-scale t", "positive": "log-scale t", "count": "log-scale t"}


def method(kind):
    """The interval's method in words, for captions: "logit-scale t", "log-scale t", "Student t"."""
    return METHODS[kind]


def _logit(p):
    return math.log(p / (1 - p))


def _expit(x):
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


def _moments(v):
    """(mean, variance) computed in the order and with the roundings of experiment/intervals.cpp
    (a running sum, then the squared deviations; equal values have variance 0), so that the
    numbers are the very doubles `crowdsim summarize --csv` prints (tests/test_summarize_agrees.py)."""
    total = 0.0
    for x in v:
        total += x
    m = total / len(v)
    if len(v) < 2:
        return m, math.nan
    ss = 0.0
    for x in v:
        ss += (x - m) * (x - m)
    return m, (0.0 if min(v) == max(v) else ss / (len(v) - 1))


@functools.lru_cache(maxsize=None)
def t_quantile(df, p):
    """The p quantile of Student's t with df degrees of freedom, to the nearest double (solved on
    the incomplete beta function at 100 digits, from scipy's estimate): the value Boost.Math's
    quantile gives experiment/intervals.cpp (scipy's own `t.ppf` is off from the 10th digit)."""
    start = float(sps.t.ppf(p, df))
    with mpmath.workdps(100):
        half, target = mpmath.mpf(df) / 2, mpmath.mpf(p)
        upper = lambda x: mpmath.betainc(half, mpmath.mpf(1) / 2, 0, df / (df + x * x), regularized=True) / 2
        cdf = lambda x: 1 - upper(x) if x >= 0 else upper(x)
        return float(mpmath.findroot(lambda x: cdf(x) - target, mpmath.mpf(start)))


def interval(values, kind="unbounded", confidence=0.95):
    """Stat(mean, low, high, n, total) of the finite `values`, by the method of `kind`."""
    v = np.asarray(values, dtype=float)
    total = len(v)
    v = [float(x) for x in v[np.isfinite(v)]]
    n = len(v)
    if n == 0:
        return Stat(math.nan, math.nan, math.nan, 0, total)
    m, var = _moments(v)
    if n < 2:
        return Stat(m, math.nan, math.nan, n, total)
    se = math.sqrt(var / n)
    if se == 0:
        return Stat(m, m, m, n, total)
    t = t_quantile(n - 1, 0.5 + confidence / 2)
    if kind == "proportion" and 0 < m < 1:
        c, h = _logit(m), t * se / (m * (1 - m))
        return Stat(m, _expit(c - h), _expit(c + h), n, total)
    if kind in ("positive", "count") and m > 0:
        f = math.exp(t * se / m)
        return Stat(m, m / f, m * f, n, total)
    low, high = m - t * se, m + t * se
    if kind != "unbounded":
        low = max(low, 0.0)
    if kind == "proportion":
        high = min(high, 1.0)
    return Stat(m, low, high, n, total)


def kpi_interval(values, name, confidence=0.95):
    """interval() with the kind of the KPI `name` (kpis.py)."""
    return interval(values, kpi(name).kind, confidence)


def differences(values, baseline):
    """values − baseline, both Series indexed by replication, over the replications where both
    are finite (a numpy array)."""
    d = (values - baseline).dropna()
    # Equal values computed along different paths differ by rounding: that is no difference.
    d[(d.abs() <= 1e-9 * baseline.abs().reindex(d.index))] = 0.0
    return d.to_numpy(dtype=float)


def paired_difference(values, baseline, confidence=0.95):
    """Stat of values − baseline (`differences`): Student t on the differences."""
    return interval(differences(values, baseline), "unbounded", confidence)


def errors(stat):
    """(below, above) the mean, for matplotlib's xerr/yerr; (0, 0) without an interval."""
    if not np.isfinite(stat.low):
        return 0.0, 0.0
    return stat.mean - stat.low, stat.high - stat.mean


def _two_sided(t, df):
    """P(|T| >= |t|) for Student's t with df degrees of freedom."""
    return 0.0 if math.isinf(t) else float(2 * sps.t.sf(abs(t), df))


def p_paired(d):
    """Two-sided p of the paired t test on the differences `d` (all finite), as
    experiment/intervals.cpp's paired_t_p: NaN with fewer than 2; all equal: 1 if 0, else 0."""
    if len(d) < 2:
        return math.nan
    m, var = _moments(d)
    if var == 0:
        return 1.0 if m == 0 else 0.0
    return _two_sided(m / math.sqrt(var / len(d)), len(d) - 1)


def p_welch(a, b):
    """Two-sided p of Welch's t test on the finite values of a and b (welch_t_p in C++)."""
    a, b = [[float(x) for x in v if np.isfinite(x)] for v in (a, b)]
    if len(a) < 2 or len(b) < 2:
        return math.nan
    (ma, va), (mb, vb) = _moments(a), _moments(b)
    va, vb = va / len(a), vb / len(b)
    if va + vb == 0:
        return 1.0 if ma == mb else 0.0
    df = (va + vb) ** 2 / (va * va / (len(a) - 1) + vb * vb / (len(b) - 1))
    return _two_sided((ma - mb) / math.sqrt(va + vb), df)


def holm(p):
    """Holm's step-down adjustment of the p-values `p` (NaN stays NaN and is not counted among
    the tests), as `crowdsim summarize --baseline` does (docs/statistics.md)."""
    order = sorted((i for i, v in enumerate(p) if not math.isnan(v)), key=lambda i: p[i])
    out, running = [math.nan] * len(p), 0.0
    for j, i in enumerate(order):
        running = max(running, min(1.0, (len(order) - j) * p[i]))
        out[i] = running
    return out
