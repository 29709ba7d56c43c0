"""Read models: SQLAlchemy Core tables filled from events, and queries over them."""
