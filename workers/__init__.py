"""Workers: the Dramatiq broker and actors, and the engines that do the heavy work."""
