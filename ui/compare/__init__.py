"""内业比对: before/after imagery in two synchronised canvases, and a swipe tool on the main map."""
