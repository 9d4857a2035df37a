"""combining"""
