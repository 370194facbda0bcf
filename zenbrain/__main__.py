from zenbrain.cli import main

main()
