module example.com/views
