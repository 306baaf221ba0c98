module features

go 1.19
