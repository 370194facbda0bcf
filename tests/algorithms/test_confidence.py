"""Known values of Beta confidence, its interval and propagation (SPEC §4.1.4)."""

from __future__ import annotations

import math

import pytest
from helpers import hypothesis_examples
from hypothesis import given, settings
from hypothesis import strategies as st

from zenbrain.algorithms import confidence as cf
from zenbrain.errors import InvalidInputError


def test_expected() -> None:
    # SPEC §4.1.4 Tests: base (3, 1) -> c = 0.75.
    assert cf.expected(3, 1) == pytest.approx(0.75)


def test_supports_propagation_spec_example() -> None:
    # SPEC §4.1.4 Tests: supports edge (scaled w = 1) from c_src = 0.8: 0.75 + 0.8*0.25 = 0.95,
    # damped 0.7*0.95 + 0.3*0.75 = 0.89, written back as alpha = 3.56, beta = 0.44.
    undamped = cf.propagate(
        c=0.75, c_src=0.8, factor=1.0, weight=1.0, params=cf.ConfidenceParams(damping=1.0)
    )
    assert undamped == pytest.approx(0.95)
    c_new = cf.propagate(c=0.75, c_src=0.8, factor=cf.RELATION_FACTORS["supports"], weight=1.0)
    assert c_new == pytest.approx(0.89)
    alpha, beta = cf.rescale(3, 1, c_new)
    assert alpha == pytest.approx(3.56)
    assert beta == pytest.approx(0.44)


def test_contradicts_propagation_spec_example() -> None:
    # SPEC §4.1.4 Tests: contradicts edge (w = 0.5) from c = 0.8: 0.75*0.6 = 0.45, damped 0.54.
    undamped = cf.propagate(
        c=0.75, c_src=0.8, factor=-1.0, weight=0.5, params=cf.ConfidenceParams(damping=1.0)
    )
    assert undamped == pytest.approx(0.45)
    c_new = cf.propagate(c=0.75, c_src=0.8, factor=cf.relation_factor("contradicts"), weight=0.5)
    assert c_new == pytest.approx(0.54)


def test_small_changes_are_skipped() -> None:
    # c' = 0.75 + 0.2*0.1*0.1*0.25 -> damped change 0.00035 < 0.01, so c stays.
    assert cf.propagate(c=0.75, c_src=0.1, factor=0.2, weight=0.1) == 0.75


def test_weight_scaling_and_factors() -> None:
    # SPEC §4.1.4: the edge weight w is scaled to [0, 1] as w/10; unknown relations have factor 0.
    assert cf.scale_weight(1.0) == pytest.approx(0.1)
    assert cf.scale_weight(10.0) == 1.0
    assert cf.relation_factor("causes") == 0.8
    assert cf.relation_factor("mentions") == 0.0


def test_priors() -> None:
    # SPEC §4.1.4 priors [D].
    assert cf.prior_for("user") == (3.0, 1.0)
    assert cf.prior_for("assistant") == (1.5, 1.0)
    assert cf.prior_for("abstraction", n_sources=4) == (5.0, 1.0)
    assert cf.prior_for("import") == (2.0, 1.0)
    assert cf.prior_for("procedure") == (1.0, 1.0)
    with pytest.raises(InvalidInputError):
        cf.prior_for("rumour")


def test_evidence() -> None:
    assert cf.observe(3, 1, success=True) == (4.0, 1.0)
    assert cf.observe(3, 1, success=False) == (3.0, 2.0)


def test_interval95_closed_forms() -> None:
    # Beta(1, 1) is uniform: quantiles are q itself.
    assert cf.interval95(1, 1) == pytest.approx((0.025, 0.975), abs=1e-9)
    # Beta(3, 1) has CDF x^3: quantiles 0.025^(1/3) = 0.29240 and 0.975^(1/3) = 0.99160.
    assert cf.interval95(3, 1) == pytest.approx((0.025 ** (1 / 3), 0.975 ** (1 / 3)), abs=1e-9)
    # Beta(1, 3) has CDF 1 - (1 - x)^3.
    lo, hi = cf.interval95(1, 3)
    assert lo == pytest.approx(1 - 0.975 ** (1 / 3), abs=1e-9)
    assert hi == pytest.approx(1 - 0.025 ** (1 / 3), abs=1e-9)


@pytest.mark.parametrize("shape", [(3.0, 1.0), (1.5, 1.0), (0.5, 0.5), (12.0, 3.0), (200.0, 7.0)])
def test_interval95_matches_scipy(shape: tuple[float, float]) -> None:
    stats = pytest.importorskip("scipy.stats")
    expected = stats.beta.ppf([0.025, 0.975], *shape)
    assert cf.interval95(*shape) == pytest.approx(tuple(expected), abs=1e-8)


def test_invalid() -> None:
    with pytest.raises(InvalidInputError):
        cf.expected(0, 1)
    with pytest.raises(InvalidInputError):
        cf.propagate(c=1.5, c_src=0.5, factor=1.0, weight=1.0)


@settings(max_examples=hypothesis_examples(100), deadline=None)
@given(a=st.floats(0.2, 200), b=st.floats(0.2, 200), q=st.floats(0.001, 0.999))
def test_ppf_inverts_cdf(a: float, b: float, q: float) -> None:
    x = cf.beta_ppf(q, a, b)
    assert 0.0 <= x <= 1.0
    # x is as exact as floats allow: q lies between the CDF at the neighbouring floats of x
    # (near 1 a steep CDF can jump by more than any fixed tolerance between adjacent floats).
    below = cf.beta_cdf(math.nextafter(x, 0.0), a, b)
    above = cf.beta_cdf(math.nextafter(x, 1.0), a, b)
    assert below - 1e-9 <= q <= above + 1e-9


@settings(max_examples=hypothesis_examples(200), deadline=None)
@given(
    c=st.floats(0, 1),
    c_src=st.floats(0, 1),
    factor=st.sampled_from(sorted(cf.RELATION_FACTORS.values())),
    w=st.floats(0, 1),
)
def test_propagation_stays_in_unit_interval(
    c: float, c_src: float, factor: float, w: float
) -> None:
    c_new = cf.propagate(c=c, c_src=c_src, factor=factor, weight=w)
    assert 0.0 <= c_new <= 1.0
    assert (c_new >= c) if factor >= 0 else (c_new <= c)
