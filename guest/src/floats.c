/* floats: printf of float, double and long double with %f %e %g %a, rounding edge cases
 * (ties, carries, subnormals, huge and tiny values, infinities, NaN, negative zero), and strtod
 * / strtold parsing including round trips of %.17g. musl and glibc print %a of long double
 * differently (both are correct), so compare a binary's output only with itself. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void show_double(const char *name, double x)
{
    printf("%-12s %%f=%f %%e=%e %%g=%g %%a=%a %%.17g=%.17g\n", name, x, x, x, x, x);
}

int main(void)
{
    const struct { const char *name; double x; } d[] = {
        { "zero", 0.0 }, { "neg-zero", -0.0 }, { "one", 1.0 }, { "tenth", 0.1 },
        { "third", 1.0 / 3.0 }, { "pi", 3.141592653589793 }, { "-e", -2.718281828459045 },
        { "1e22", 1e22 }, { "1e23", 1e23 }, { "2^53+1", 9007199254740993.0 },
        { "max", DBL_MAX }, { "min-normal", DBL_MIN }, { "min-subnorm", 4.9406564584124654e-324 },
        { "123456.789", 123456.789 }, { "1e-7", 1e-7 },
        { "inf", INFINITY }, { "-inf", -INFINITY },
    };
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
        show_double(d[i].name, d[i].x);
    printf("nan %f %e %g\n", fabs(NAN), fabs(NAN), fabs(NAN));

    /* round-half-even on exactly representable ties, and carries that add a digit */
    printf("ties %.0f %.0f %.0f %.0f %.1f %.1f %.2f\n", 0.5, 1.5, 2.5, -2.5, 0.25, 0.35, 1.005);
    printf("carry %.2f %.0f %.3e %.0e %.4g\n", 9.995, 999.5, 9.9995, 9.5, 99995.0);
    printf("width [%10.3f] [%-10.2e] [%+g] [% g] [%#g] [%#.0f] [%010.4f]\n",
           3.14159, 2718.28, 1.0, 1.0, 1.0, 3.0, -1.5);
    printf("precision %.0e %.20f %.30e %g %g %g\n", 12345.0, 0.1, 1.0 / 3.0, 100000.0, 1000000.0, 0.0001);

    float f = 16777217.0f, g = 0.1f;
    printf("float %f %.9g %a %e\n", (double)f, (double)g, (double)g, (double)FLT_MAX);

    long double l[] = { 1.0L / 3.0L, 0.1L, LDBL_MAX, LDBL_MIN, -0.0L, 1e4000L, 18446744073709551615.0L };
    for (size_t i = 0; i < sizeof l / sizeof l[0]; i++)
        printf("ldouble %Lf %Le %.21Lg %La\n", l[i], l[i], l[i], l[i]);

    const char *inputs[] = {
        "0", "-0", "1.5", "  42", "0.1", "1e308", "1e309", "4.9e-324", "2.4703282292062328e-324",
        "0x1.8p1", "inf", "-INFINITY", "nan", "123abc", "2.2250738585072011e-308",
        "9007199254740993", "1.7976931348623157e308", ".5e1", "1e-400",
    };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        char *end;
        double x = strtod(inputs[i], &end);
        printf("strtod(\"%s\") = %.17g %a consumed %d\n", inputs[i], x, x, (int)(end - inputs[i]));
    }
    long double lx = strtold("0.1", NULL);
    printf("strtold(\"0.1\") = %.21Lg\n", lx);

    /* every %.17g must read back to the same double */
    int mismatches = 0;
    double x = 1.0;
    for (int i = 0; i < 2000; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%.17g", x);
        if (strtod(buf, NULL) != x)
            mismatches++;
        x = x * 1.37 + 0.001 * i;
        if (x > 1e300)
            x = 1e-300 * i;
    }
    printf("round trips mismatched %d\n", mismatches);
    double s = sqrt(2.0), p = pow(2.0, 0.5), ex = exp(1.0), lg = log(10.0);
    printf("libm %.17g %.17g %.17g %.17g %.17g\n", s, p, ex, lg, sin(1.0));
    return mismatches ? 1 : 0;
}
