package sandbox

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReplayReadsLinesAsTheRunnerDoes(t *testing.T) {
	t.Parallel()
	out := "" +
		"plain\n" +
		"  ::add-mask::a%25b%0Ac\n" + // 2
		"text ##[save-state name=legs;]9\n" + // 3
		"x\r::set-output name=pod-id::v\r\n" + // 4, 5
		"::unknown::x\n" + // not a command
		"::warning file=a%3Ab,line=3::w\n" + // 7
		"::stop-commands::tok123456\n" + // 8
		"::add-mask::lost\n" + // 9, ignored
		"##[TOK123456]\n" + // 10, resumes
		"::debug::after\n" // 11
	want := []Command{
		{Line: 2, Name: "add-mask", Props: map[string]string{}, Data: "a%b\nc"},
		{Line: 3, Name: "save-state", Props: map[string]string{"name": "legs"}, Data: "9"},
		{Line: 5, Name: "set-output", Props: map[string]string{"name": "pod-id"}, Data: "v"},
		{Line: 7, Name: "warning", Props: map[string]string{"file": "a:b", "line": "3"}, Data: "w"},
		{Line: 8, Name: "stop-commands", Props: map[string]string{}, Data: "tok123456"},
		{Line: 9, Name: "add-mask", Props: map[string]string{}, Data: "lost", Ignored: true},
		{Line: 10, Name: "tok123456", Props: map[string]string{}, Data: ""},
		{Line: 11, Name: "debug", Props: map[string]string{}, Data: "after"},
	}
	if diff := cmp.Diff(want, Replay(out)); diff != "" {
		t.Errorf("Replay mismatch (-want +got):\n%s", diff)
	}
}
