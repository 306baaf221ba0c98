/* bench-startup: exits at once, to time program load and libc start-up. It accepts (and
 * ignores) an iteration count so every benchmark program has the same command line. */
int main(void)
{
    return 0;
}
