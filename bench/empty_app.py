"""An empty Streamlit page: what one rerun costs the framework itself (bench.load's floor)."""
