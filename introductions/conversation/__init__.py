"""The conversation of an accepted introduction (issue 13, part 3): services, selectors, pages.

Messages are private to the two firms. Ministry staff and administrators see counts only.
"""
