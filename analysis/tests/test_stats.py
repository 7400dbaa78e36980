"""stats.py: intervals that respect a KPI's range, by the formulas of its docstring."""
import math

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats as sps

from crowdsim.stats import interval, kpi_interval, paired_difference


def student(values):
    v = np.asarray(values, float)
    h = sps.t.ppf(0.975, len(v) - 1) * v.std(ddof=1) / math.sqrt(len(v))
    return v.mean() - h, v.mean() + h


def test_a_bounded_kpi_interval_never_leaves_its_range():
    rng = np.random.default_rng(7)
    left_range = 0
    for _ in range(500):
        n = int(rng.integers(2, 6))
        v = np.clip(rng.beta(0.3, 0.3, n), 0, 1)  # values piled near 0 and 1
        v[rng.random(n) < 0.2] = rng.choice([0.0, 1.0])
        st = kpi_interval(v, "accuracy")
        assert 0 <= st.low <= st.mean <= st.high <= 1, v
        lo, hi = student(v)
        left_range += lo < 0 or hi > 1
        c = kpi_interval(v * 1000, "latency_p95")  # a positive quantity
        assert c.low >= 0 and c.low <= c.mean <= c.high, v
    assert left_range > 50  # the Student t interval would have left [0, 1]: the test can tell


def test_the_issue_case_accuracy_interval_stays_below_1():
    # summarize printed 0.5925 ± 0.572 (up to 1.098) for two runs of accuracy 0.18 and 1.0... like these
    st = kpi_interval([0.21, 0.975, float("nan"), float("nan")], "accuracy")
    assert st.n == 2 and st.total == 4
    assert 0 < st.low < st.mean < st.high < 1
    assert student([0.21, 0.975])[1] > 1


def test_formulas_of_the_docstring():
    v = np.array([0.62, 0.58, 0.66, 0.6])
    m, se = v.mean(), v.std(ddof=1) / 2
    t = sps.t.ppf(0.975, 3)
    st = interval(v, "proportion")
    h = t * se / (m * (1 - m))
    assert (st.low, st.high) == pytest.approx((special.expit(special.logit(m) - h), special.expit(special.logit(m) + h)))
    st = interval(v, "positive")
    assert (st.low, st.high) == pytest.approx((m * math.exp(-t * se / m), m * math.exp(t * se / m)))
    assert (interval(v, "unbounded").low, interval(v, "unbounded").high) == pytest.approx(student(v))
    # Little spread: all three agree with Student t.
    tight = 0.6 + np.array([1, -1, 2, 0]) * 1e-6
    for kind in ("proportion", "positive", "unbounded"):
        assert (interval(tight, kind).low, interval(tight, kind).high) == pytest.approx(student(tight), rel=1e-6)


def test_n_counts_the_finite_values_and_degenerate_cases():
    st = interval([0.5, float("nan"), 0.7], "proportion")
    assert (st.n, st.total) == (2, 3)
    one = interval([0.5, float("nan")], "proportion")
    assert one.mean == 0.5 and math.isnan(one.low)
    assert interval([3.0, 3.0, 3.0], "positive")[:3] == (3.0, 3.0, 3.0)
    assert interval([], "positive").n == 0


def test_paired_difference_is_the_t_interval_of_the_differences():
    a = pd.Series([0.91, 0.88, 0.93, 0.9, float("nan")], index=range(5))
    b = pd.Series([0.86, 0.87, 0.88, 0.85, 0.9], index=range(5))
    st = paired_difference(a, b)
    ref = sps.ttest_1samp((a - b).dropna(), 0).confidence_interval(0.95)
    assert st.n == 4
    assert (st.low, st.high) == pytest.approx((ref.low, ref.high))
