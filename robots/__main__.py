import sys

from robots.cli import main

sys.exit(main())
