"""The numpy-only core: the maths every page shows, importing no plotly, Streamlit, TensorFlow or Keras."""
