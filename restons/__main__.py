from restons.cli import main

main()
