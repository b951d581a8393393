module example.com/overrides
