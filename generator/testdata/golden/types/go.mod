module example.com/types
