"""Quiz answers: within tolerance is right, wrong answers get the arithmetic, non-numbers get asked again."""

from cnnviz.core.quiz import Score, check_answer


def test_a_close_answer_is_right():
    verdict = check_answer("2.2", 2.2349, "1×2 + … = 2.235")
    assert verdict.correct and verdict.counted


def test_a_wrong_answer_shows_the_arithmetic():
    verdict = check_answer("3", -2.8, "0×1 + … = −2.8")
    assert not verdict.correct
    assert "you wrote 3" in verdict.message and "0×1 + … = −2.8" in verdict.message


def test_a_word_is_not_counted_and_says_why():
    verdict = check_answer("seven", 7.0, "…")
    assert not verdict.counted and "not a number" in verdict.message


def test_score_counts_only_real_answers():
    score = Score()
    for answer in ("1", "5", "x"):
        score.record(check_answer(answer, 1.0, "…"))
    assert str(score) == "1 of 2"
