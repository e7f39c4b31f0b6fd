"""The Qt desktop interface over the services."""
