"""The technician's workbench without Qt: patch list rows, statuses, deadlines and filters."""
