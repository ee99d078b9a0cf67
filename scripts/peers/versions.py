"""Prints the Python version and those of the named packages, one per line (the registry files'
version-command, recorded in run.json)."""
import importlib.metadata
import sys

print("python", sys.version.split()[0])
for name in sys.argv[1:]:
    try:
        print(name, importlib.metadata.version(name))
    except importlib.metadata.PackageNotFoundError:
        print(name, "not installed")
