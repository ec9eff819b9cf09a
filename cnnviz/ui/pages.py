"""The course's pages, in order: the one list app.py routes from and the home page links from."""

from dataclasses import dataclass

START, CONCEPTS, PRACTICE = "Start", "Concepts", "Practice"


@dataclass(frozen=True)
class CoursePage:
    path: str  # the page's script, relative to app.py
    title: str  # in the navigation
    icon: str
    section: str  # START, CONCEPTS or PRACTICE
    blurb: str  # one line on what a student does there, for the home page's suggested order


# A new page is one entry here, in course order.
PAGES = (
    CoursePage(
        path="app_pages/home.py",
        title="What is a CNN?",
        icon=":material/home:",
        section=START,
        blurb="The course model, stage by stage",
    ),
    CoursePage(
        path="app_pages/input_layer.py",
        title="Input layer",
        icon=":material/image:",
        section=CONCEPTS,
        blurb="The input layer: an image is a grid of numbers",
    ),
    CoursePage(
        path="app_pages/convolution.py",
        title="Convolution",
        icon=":material/grid_on:",
        section=CONCEPTS,
        blurb="Convolution, step by step",
    ),
    CoursePage(
        path="app_pages/channels.py",
        title="Channels and filters",
        icon=":material/layers:",
        section=CONCEPTS,
        blurb="A filter across colour channels, then a layer of K filters",
    ),
    CoursePage(
        path="app_pages/pooling.py",
        title="Pooling",
        icon=":material/compress:",
        section=CONCEPTS,
        blurb="Pooling: max and average",
    ),
    CoursePage(
        path="app_pages/fully_connected.py",
        title="Fully connected",
        icon=":material/hub:",
        section=CONCEPTS,
        blurb="Flatten, dense layers and softmax",
    ),
    CoursePage(
        path="app_pages/backward.py",
        title="How a CNN learns",
        icon=":material/school:",
        section=CONCEPTS,
        blurb="The backward pass by hand: gradients, the update, training",
    ),
    CoursePage(
        path="app_pages/ann_vs_cnn.py",
        title="ANN vs CNN",
        icon=":material/compare:",
        section=CONCEPTS,
        blurb="Why convolutions? A dense network against a CNN",
    ),
    CoursePage(
        path="app_pages/augmentation.py",
        title="Data augmentation",
        icon=":material/transform:",
        section=CONCEPTS,
        blurb="Data augmentation: many versions of one digit, and a network that copes with moved digits",
    ),
    CoursePage(
        path="app_pages/training.py",
        title="Training",
        icon=":material/show_chart:",
        section=PRACTICE,
        blurb="Train a CNN and watch it learn",
    ),
    CoursePage(
        path="app_pages/draw.py",
        title="Draw and predict",
        icon=":material/draw:",
        section=PRACTICE,
        blurb="Draw a digit and see the network read it",
    ),
)


def page(path):
    """The CoursePage whose script is `path` ("app_pages/pooling.py")."""
    for course_page in PAGES:
        if course_page.path == path:
            return course_page
    raise ValueError(f"No course page is at {path!r}; the pages are {[p.path for p in PAGES]}.")


def sections():
    """{section: [CoursePage, …]} in course order, as the navigation groups them."""
    grouped = {}
    for course_page in PAGES:
        grouped.setdefault(course_page.section, []).append(course_page)
    return grouped


def lessons():
    """The pages after the start page, in the order the course suggests."""
    return [course_page for course_page in PAGES if course_page.section != START]


def neighbours(path):
    """(previous, next) CoursePage around `path` in course order; None at either end."""
    index = PAGES.index(page(path))
    return (PAGES[index - 1] if index > 0 else None), (PAGES[index + 1] if index + 1 < len(PAGES) else None)
