"""Text in, arrays and labels out: scikit-learn models. Imports nothing of ours.

- `SimilarIdeas`: the ideas most similar to a text while it is typed (incremental).
- `ThemeFinder`: themes in a pile of suggestions, their number chosen from the data.
- `AutoKMeans`: the clusterer under the themes, for any dense rows.
- `NearestTheme`: the theme a text that came after a run belongs to, if any.
- `match_themes`: which theme of the previous run each cluster of a re-run continues.
"""

from ml.clustering import AutoKMeans
from ml.lookup import SimilarIdeas
from ml.matching import match_themes
from ml.nearest import NearestTheme
from ml.themes import ThemeFinder

__all__ = ["AutoKMeans", "NearestTheme", "SimilarIdeas", "ThemeFinder", "match_themes"]
