"""Hypothesis strategies the tests share."""

from hypothesis import strategies as st

# A random sliding-window geometry: input size and channels, a square window, stride, zero padding, a seed.
geometry = st.fixed_dictionaries(
    {
        "height": st.integers(1, 9),
        "width": st.integers(1, 9),
        "channels": st.integers(1, 3),
        "kernel": st.integers(1, 4),
        "stride": st.integers(1, 3),
        "padding": st.integers(0, 2),
        "seed": st.integers(0, 2**16),
    }
)
