"""Text in, arrays and labels out: scikit-learn models. Imports nothing of ours.

The similar-ideas lookup and the theme pipeline arrive with issue 4.
"""
