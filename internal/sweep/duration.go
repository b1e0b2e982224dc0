package sweep

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseDuration reads a limit such as 30m, 12h, 1h30m or 7d (days); 0 means no limit.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > 3650 {
			return 0, fmt.Errorf("%q is not a number of days such as 7d", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q is not a duration such as 30m, 12h or 7d", s)
	}
	return d, nil
}
