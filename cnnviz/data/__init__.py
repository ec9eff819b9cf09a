"""Data: MNIST and its bundled sample, example inputs and filters, drawings and uploads turned into 28×28 digits."""
