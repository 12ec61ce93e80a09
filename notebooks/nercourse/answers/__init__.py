"""The expected answers of the notebooks' exercises, one module per notebook.

A notebook's check cell reads ``nercourse.check(answer, answers.exercise_2(raw), ...)``: the expected
value is computed here, from the notebook's own objects (so it stays right under every profile and
every tokenizer), and never sits in a visible cell next to the exercise. The solutions notebooks
show how to get each answer.
"""
