"""Text: the rendered document, gloss matching, the gloss plugin and safe HTML."""
