"""The JupyterLab widget: Reader, its session, the lesson payload and the message protocol."""
