"""The hall service's store: the only place of the hall package that speaks SQL."""
