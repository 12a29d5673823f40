"""The field's words: vocabularies, rank ladders, funnel stages and the pandera schemas of the
frames that cross a boundary.
"""
