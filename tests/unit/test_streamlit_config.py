"""Streamlit's options are read without its lock once the pages are imported, with the same answers."""

import pytest
from streamlit import config

from pages import ui  # noqa: F401  (importing the pages' helpers installs the lock-free read)


def test_options_read_without_the_lock_give_streamlits_values_and_errors():
    assert getattr(config.get_option, "without_lock", False)
    options = config.get_config_options()
    for key in ("global.minCachedMessageSize", "runner.postScriptGC", "server.fileWatcherType"):
        assert config.get_option(key) == options[key].value
    before = config.get_option("global.minCachedMessageSize")
    config.set_option("global.minCachedMessageSize", 12345)
    try:
        assert config.get_option("global.minCachedMessageSize") == 12345  # a change made at run time shows
    finally:
        config.set_option("global.minCachedMessageSize", before)
    with pytest.raises(RuntimeError, match="not defined"):
        config.get_option("global.noSuchOption")
