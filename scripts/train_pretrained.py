"""Train the model that ships in models/: full MNIST, augmented to look like canvas drawings.

Usage:
    CNNVIZ_MNIST=../shared/data/mnist.npz python -m scripts.train_pretrained
    CNNVIZ_MNIST=../shared/data/mnist.npz python -m scripts.train_pretrained \\
        --no-augmentation --output /tmp/cnnviz_no_augmentation.keras     # the baseline for the card

Then `python -m scripts.make_canvas_eval` measures the model(s) and writes the model card.

Writes the model without optimizer state (the app only predicts) and, beside it, a JSON of the
training facts (`<output stem>.training.json`) that the model card is built from.
Everything is seeded (shuffling, augmentation, initial weights): the same command repeats the same
run, up to the order of floating-point sums across CPU threads.

Two phases: EPOCHS epochs with the full augmentation and a warm-up + cosine learning rate, then
FINETUNE_EPOCHS with milder augmentation at a small learning rate. `--resume` runs the second
phase alone on a model saved after the first.
"""

import argparse
import json
import math
import platform
import sys
import time
from dataclasses import asdict
from pathlib import Path

import keras
import tensorflow as tf

from cnnviz.data.mnist import load_mnist
from cnnviz.ml.models import (
    PRETRAINED_PATH,
    CnnConfig,
    build_cnn,
    compile_classifier,
    make_optimizer,
    save_model,
)

SEED = 1234
EPOCHS = 12
BATCH_SIZE = 128
PEAK_LEARNING_RATE = 3e-3
WARMUP_EPOCHS = 1
CONFIG = CnnConfig(
    conv_blocks=3,
    filters=32,
    convs_per_block=1,
    kernel_size=3,
    padding="same",
    pooling="max",
    dense_units=128,
    dropout=0.4,
    batch_norm=True,
    learning_rate=PEAK_LEARNING_RATE,
    optimizer="adam",
)

FINETUNE_EPOCHS = 3  # then a short second phase: milder augmentation, small learning rate
FINETUNE_LEARNING_RATE = 3e-4

# How far each random change goes: uniform in [-x, x] unless said otherwise.
AUGMENTATION = {
    "rotation_degrees": 15.0,
    "shear": 0.25,  # horizontal slant: x += shear * y
    "zoom": (0.85, 1.15),  # overall scale, uniform in this range
    "aspect": 0.12,  # log of width / height change: narrower or wider digits
    "shift_pixels": 3.0,
    "stroke": (-0.4, 1.0),  # < 0 blends towards a 3×3 erosion, > 0 towards a 3×3 dilation
}
# The second phase settles on digits closer to MNIST's own, keeping some of the variety.
FINETUNE_AUGMENTATION = {
    "rotation_degrees": 8.0,
    "shear": 0.12,
    "zoom": (0.92, 1.08),
    "aspect": 0.06,
    "shift_pixels": 1.5,
    "stroke": (-0.2, 0.5),
}


def stroke_thickness(images, amount):
    """Thinner (amount < 0, towards erosion) or thicker (amount > 0, towards dilation) strokes."""
    dilated = tf.nn.max_pool2d(images, 3, 1, "SAME")  # grey-level dilation, 3×3 square
    eroded = -tf.nn.max_pool2d(-images, 3, 1, "SAME")  # grey-level erosion
    amount = amount[:, None, None, None]
    return images + tf.maximum(amount, 0.0) * (dilated - images) + tf.maximum(-amount, 0.0) * (eroded - images)


def random_affine(images, seed, aug):
    """Rotate, slant, scale and shift each image of the batch about its centre, in one resampling."""
    size = tf.shape(images)[0]
    seeds = tf.random.experimental.stateless_split(seed, 6)

    def uniform(index, low, high):
        return tf.random.stateless_uniform([size], seeds[index], low, high)

    angle = uniform(0, -1.0, 1.0) * aug["rotation_degrees"] * math.pi / 180
    shear = uniform(1, -aug["shear"], aug["shear"])
    zoom = uniform(2, *aug["zoom"])
    aspect = tf.exp(uniform(3, -aug["aspect"], aug["aspect"]))
    shift_x = uniform(4, -aug["shift_pixels"], aug["shift_pixels"])
    shift_y = uniform(5, -aug["shift_pixels"], aug["shift_pixels"])
    # Forward map A = rotation · shear · scale (output = centre + A (input - centre) + shift).
    scale_x, scale_y = zoom * aspect, zoom / aspect
    cos, sin = tf.cos(angle), tf.sin(angle)
    a, b = cos * scale_x, (cos * shear - sin) * scale_y
    c, d = sin * scale_x, (sin * shear + cos) * scale_y
    det = a * d - b * c
    # affine_transform wants the inverse map: input = centre + A⁻¹ (output - centre - shift).
    inv_a, inv_b, inv_c, inv_d = d / det, -b / det, -c / det, a / det
    centre = 13.5
    offset_x = centre - inv_a * (centre + shift_x) - inv_b * (centre + shift_y)
    offset_y = centre - inv_c * (centre + shift_x) - inv_d * (centre + shift_y)
    zeros = tf.zeros_like(angle)
    transform = tf.stack([inv_a, inv_b, offset_x, inv_c, inv_d, offset_y, zeros, zeros], axis=1)  # (B, 8)
    return keras.ops.image.affine_transform(images, transform, interpolation="bilinear", fill_mode="constant")


def augment(images, seed, aug=AUGMENTATION):
    """Canvas-like variety for a batch (B, 28, 28, 1) in [0, 1]: stroke width, then geometry."""
    stroke_seed, affine_seed = tf.unstack(tf.random.experimental.stateless_split(seed, 2))
    amount = tf.random.stateless_uniform([tf.shape(images)[0]], stroke_seed, *aug["stroke"])
    images = stroke_thickness(images, amount)
    return tf.clip_by_value(random_affine(images, affine_seed, aug), 0.0, 1.0)


def training_batches(x_train, y_train, epochs, aug, seed=SEED):
    """Shuffled, batched training data for all epochs, augmented with `aug` unless None; set by `seed`."""
    images = (x_train.astype("float32") / 255.0)[..., None]  # (60000, 28, 28, 1)
    data = tf.data.Dataset.from_tensor_slices((images, y_train))
    data = data.shuffle(len(images), seed=seed, reshuffle_each_iteration=True).repeat(epochs)
    data = data.batch(BATCH_SIZE, drop_remainder=True)
    if aug is not None:
        seeds = tf.data.Dataset.random(seed=seed).batch(2)
        data = tf.data.Dataset.zip(data, seeds).map(
            lambda batch, batch_seed: (augment(batch[0], batch_seed, aug), batch[1]),
            num_parallel_calls=tf.data.AUTOTUNE,
            deterministic=True,
        )
    return data.prefetch(tf.data.AUTOTUNE)


def train_phase(model, x_train, y_train, validation, epochs, aug, schedule, seed):
    """Compile `model` with Adam on `schedule`, fit for `epochs`; return (history dict, seconds)."""
    compile_classifier(model, make_optimizer(CONFIG.optimizer, schedule))
    started = time.perf_counter()
    history = model.fit(
        training_batches(x_train, y_train, epochs, aug, seed),
        epochs=epochs,
        steps_per_epoch=len(x_train) // BATCH_SIZE,
        validation_data=validation,
        validation_batch_size=1000,
        verbose=2,
    )
    return history.history, time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--no-augmentation", action="store_true", help="train on the digits as they are")
    parser.add_argument("--output", type=Path, default=PRETRAINED_PATH)
    parser.add_argument(
        "--resume",
        type=Path,
        help="a model this script saved after the first phase only (with its .training.json): run the second",
    )
    args = parser.parse_args()
    augmented = not args.no_augmentation

    keras.utils.set_random_seed(SEED)
    data = load_mnist()
    if data.is_sample:
        sys.exit(f"Only the {data.source} was found; set CNNVIZ_MNIST to the full MNIST .npz to train this model.")
    (x_train, y_train), (x_test, y_test) = data
    print(f"data: {data!r}", flush=True)
    test_images = (x_test.astype("float32") / 255.0)[..., None]
    validation = (test_images, y_test)
    steps_per_epoch = len(x_train) // BATCH_SIZE

    model = build_cnn(CONFIG, compile=False)
    model.summary()
    if args.resume:  # the first phase was run before: take its weights and its record
        model.set_weights(keras.saving.load_model(args.resume, compile=False, safe_mode=True).get_weights())
        first = json.loads(args.resume.with_suffix(".training.json").read_text())
        history, seconds, epochs = first["history"], first["training_seconds"], first["epochs"]
    else:
        epochs = args.epochs
        warmup_steps = steps_per_epoch * WARMUP_EPOCHS
        schedule = keras.optimizers.schedules.CosineDecay(
            initial_learning_rate=PEAK_LEARNING_RATE / 10,
            decay_steps=steps_per_epoch * epochs - warmup_steps,
            alpha=0.01,
            warmup_target=PEAK_LEARNING_RATE,
            warmup_steps=warmup_steps,
        )
        history, seconds = train_phase(
            model, x_train, y_train, validation, epochs, AUGMENTATION if augmented else None, schedule, SEED
        )
    print("second phase", flush=True)
    schedule = keras.optimizers.schedules.CosineDecay(FINETUNE_LEARNING_RATE, steps_per_epoch * FINETUNE_EPOCHS, 0.01)
    finetune_aug = FINETUNE_AUGMENTATION if augmented else None
    more, more_seconds = train_phase(
        model, x_train, y_train, validation, FINETUNE_EPOCHS, finetune_aug, schedule, SEED + 1
    )
    history = {key: list(values) + list(more[key]) for key, values in history.items()}
    seconds += more_seconds
    _, test_accuracy = model.evaluate(test_images, y_test, batch_size=1000, verbose=0)
    print(f"test accuracy {test_accuracy:.4f} after {seconds / 60:.1f} min", flush=True)

    # Save a fresh, uncompiled copy: the weights without optimizer state or training settings.
    shipped = build_cnn(CONFIG, compile=False)
    shipped.set_weights(model.get_weights())
    save_model(shipped, args.output)  # a temporary file renamed into place: never half a model
    facts = {
        "model_file": args.output.name,
        "file_bytes": args.output.stat().st_size,
        "parameters": int(shipped.count_params()),
        "config": asdict(CONFIG),
        "layers": [
            {"name": layer.name, "type": type(layer).__name__, "output_shape": list(layer.output.shape[1:])}
            for layer in shipped.layers
        ],
        "data": data.source.replace(str(Path.cwd()), "."),
        "train_digits": len(x_train),
        "test_digits": len(x_test),
        "augmentation": AUGMENTATION if augmented else None,
        "finetune_augmentation": finetune_aug,
        "epochs": epochs,
        "finetune_epochs": FINETUNE_EPOCHS,
        "batch_size": BATCH_SIZE,
        "learning_rate_schedule": (
            f"linear warm-up {PEAK_LEARNING_RATE / 10:g} → {PEAK_LEARNING_RATE:g} over {WARMUP_EPOCHS} epoch, "
            f"then cosine decay to {PEAK_LEARNING_RATE * 0.01:g}; second phase cosine decay "
            f"{FINETUNE_LEARNING_RATE:g} → {FINETUNE_LEARNING_RATE * 0.01:g}"
        ),
        "seed": SEED,
        "training_seconds": round(seconds, 1),
        "machine": f"{platform.machine()}, {len(tf.config.list_physical_devices('CPU'))} CPU device, no GPU",
        "keras_version": keras.__version__,
        "tensorflow_version": tf.__version__,
        "history": {key: [round(float(v), 5) for v in values] for key, values in history.items()},
        "mnist_test_accuracy": round(float(test_accuracy), 5),
    }
    report = args.output.with_suffix(".training.json")
    report.write_text(json.dumps(facts, indent=2) + "\n")
    print(f"wrote {args.output} ({facts['file_bytes'] / 1e6:.2f} MB) and {report}", flush=True)


if __name__ == "__main__":
    main()
