"""Cocreate's domain: workshops, their phases, contributions and votes. Never imports streamlit."""
