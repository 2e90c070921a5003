"""The hall's rules: opening hours, what can be offered now, planned maintenance, tidying between citizens, guides."""
