module nanots/guest/net

go 1.19
