// net: Go's networking inside the VM. A TCP echo server with a goroutine per connection and
// four concurrent clients, an HTTP server and client (net/http), a UDP datagram, and a unix
// socket; all over the runtime's netpoller (epoll, non-blocking sockets). Prints only what is
// the same natively and in the VM (no ports, no paths).
package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
)

func main() {
	// TCP echo over loopback with goroutines.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("listen:", err)
		os.Exit(1)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				r := bufio.NewReader(c)
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					c.Write([]byte(strings.ToUpper(line)))
				}
			}(c)
		}
	}()
	var wg sync.WaitGroup
	results := make([]string, 4)
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				results[i] = "dial: " + err.Error()
				return
			}
			defer c.Close()
			fmt.Fprintf(c, "hello %d\n", i)
			line, _ := bufio.NewReader(c).ReadString('\n')
			results[i] = strings.TrimSpace(line)
		}(i)
	}
	wg.Wait()
	for _, r := range results {
		fmt.Println(r)
	}
	// HTTP over loopback.
	hl, err := net.Listen("tcp", "127.0.0.1:0")
	check("http listen", err)
	go http.Serve(hl, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "path=%s", r.URL.Path)
	}))
	resp, err := http.Get("http://" + hl.Addr().String() + "/nanots")
	if err != nil {
		fmt.Println("get:", err)
		os.Exit(1)
	}
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, string(body))
	// UDP.
	u, err := net.ListenPacket("udp", "127.0.0.1:0")
	check("udp listen", err)
	cu, err := net.Dial("udp", u.LocalAddr().String())
	check("udp dial", err)
	_, err = cu.Write([]byte("datagram"))
	check("udp write", err)
	buf := make([]byte, 64)
	n, _, _ := u.ReadFrom(buf)
	fmt.Println(string(buf[:n]))
	// Unix socket.
	path := fmt.Sprintf("%s/nanots-gonet-%d.sock", os.TempDir(), os.Getpid())
	defer os.Remove(path)
	ul, err := net.Listen("unix", path)
	check("unix listen", err)
	go func() {
		c, _ := ul.Accept()
		c.Write([]byte("over unix"))
		c.Close()
	}()
	uc, err := net.Dial("unix", path)
	check("unix dial", err)
	b, _ := io.ReadAll(uc)
	fmt.Println(string(b))
}

// check ends the program with a message when a step fails.
func check(what string, err error) {
	if err != nil {
		fmt.Println(what+":", err)
		os.Exit(1)
	}
}
