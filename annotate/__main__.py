from annotate.cli import console_main

console_main()
