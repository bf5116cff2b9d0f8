"""Evidence (佐证资料): files copied into the workspace, photo EXIF, photo-to-patch matching."""
