// Crisis plugin unit tests live beside this file.
