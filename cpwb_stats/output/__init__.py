"""What leaves the product as a file: downloads, templates, the zone report and the open-data
package.
"""
