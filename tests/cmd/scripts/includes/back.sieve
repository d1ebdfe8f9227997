require "include";
include "main";
