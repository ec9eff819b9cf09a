"""cnnviz: see how a convolutional neural network works, with real numbers.

The maths (`ops`), figures (`figures`) and data (`data`) import neither
Streamlit nor TensorFlow; import the submodule you need.
"""
