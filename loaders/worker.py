"""A worker process of `mineralkg.loaders.parallel`: `python -m mineralkg.loaders.worker TARGET
IN_FD OUT_FD` serves the function TARGET (`module:function`) over two pipes.

Its own module, which nothing imports: run with `-m`, a module the package has already imported
would be executed a second time (and Python warns about it).
"""

import sys

from mineralkg.loaders.parallel import serve

if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
