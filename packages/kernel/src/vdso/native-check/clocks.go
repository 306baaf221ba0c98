// Reads the wall and monotonic clocks through the Go runtime.
package main

import (
	"fmt"
	"time"
)

func main() {
	start := time.Now()
	time.Sleep(time.Millisecond)
	fmt.Println("go: elapsed > 0:", time.Since(start) > 0)
}
